use wallet::{Wallet, WalletError};

#[test]
fn withdrawing_too_much_is_refused() {
    let mut w = Wallet::new(50);
    assert_eq!(w.withdraw(80), Err(WalletError::InsufficientFunds { balance: 50, requested: 80 }));
    assert_eq!(w.balance(), 50);
    assert_eq!(w.withdraw(50), Ok(()));
    assert_eq!(w.balance(), 0);
}

#[test]
fn transfer_fails_without_moving_anything() {
    let mut a = Wallet::new(3);
    let mut b = Wallet::new(1);
    assert_eq!(a.transfer(&mut b, 5), Err(WalletError::InsufficientFunds { balance: 3, requested: 5 }));
    assert_eq!((a.balance(), b.balance()), (3, 1));
}

#[test]
fn deposit_does_not_wrap() {
    let mut w = Wallet::new(u64::MAX - 1);
    assert_eq!(w.deposit(1), Ok(()));
    assert_eq!(w.deposit(1), Err(WalletError::Overflow));
    assert_eq!(w.balance(), u64::MAX);
}

#[test]
fn transfer_to_a_full_wallet_moves_nothing() {
    let mut a = Wallet::new(10);
    let mut b = Wallet::new(u64::MAX);
    assert_eq!(a.transfer(&mut b, 1), Err(WalletError::Overflow));
    assert_eq!((a.balance(), b.balance()), (10, u64::MAX));
}
