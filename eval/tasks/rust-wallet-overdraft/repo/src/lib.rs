//! Players' coin balances.

#[derive(Debug, PartialEq, Eq)]
pub enum WalletError {
    InsufficientFunds { balance: u64, requested: u64 },
    Overflow,
}

#[derive(Debug, Default)]
pub struct Wallet {
    balance: u64,
}

impl Wallet {
    pub fn new(balance: u64) -> Self {
        Wallet { balance }
    }

    pub fn balance(&self) -> u64 {
        self.balance
    }

    pub fn deposit(&mut self, amount: u64) {
        self.balance = self.balance.wrapping_add(amount);
    }

    pub fn withdraw(&mut self, amount: u64) -> Result<(), WalletError> {
        self.balance = self.balance.wrapping_sub(amount);
        Ok(())
    }

    /// Moves `amount` from this wallet to `other`.
    pub fn transfer(&mut self, other: &mut Wallet, amount: u64) -> Result<(), WalletError> {
        self.withdraw(amount)?;
        other.deposit(amount);
        Ok(())
    }
}
