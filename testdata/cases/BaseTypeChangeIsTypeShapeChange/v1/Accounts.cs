namespace Cases;

public class Account
{
    public decimal Balance { get; protected set; }
}

public class InterestAccount : Account
{
    public decimal Rate { get; set; }
}

public class SavingsAccount : Account
{
    public void AddInterest(decimal rate) => Balance += Balance * rate;
}
