// v1 keeps a balance; v2 adds three instance fields (a counter updated through ldflda, a string and
// a long with constant initializers, which the new constructor stores): an account made after the
// patch sees all of them, and the limit refuses the third deposit.
public static class Probe
{
    public static string Run()
    {
        var account = new Cases.Account();
        account.Deposit(40);
        account.Deposit(50);
        account.Deposit(30);
        return account.Report();
    }
}
