use wallet::Wallet;

#[test]
fn withdraw_within_balance() {
    let mut w = Wallet::new(100);
    assert!(w.withdraw(30).is_ok());
    assert_eq!(w.balance(), 70);
}

#[test]
fn transfer_moves_coins() {
    let mut a = Wallet::new(10);
    let mut b = Wallet::default();
    assert!(a.transfer(&mut b, 4).is_ok());
    assert_eq!((a.balance(), b.balance()), (6, 4));
}
