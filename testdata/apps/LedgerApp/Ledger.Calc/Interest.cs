namespace Ledger.Calc;

/// <summary>Interest on a principal, in whole currency units, at a rate in basis points (1/100 %).</summary>
public static class Interest
{
    /// <summary>A year's interest on <paramref name="principal"/> units at <paramref name="basisPoints"/>.</summary>
    public static long Yearly(long principal, int basisPoints)
        => principal * basisPoints / 10000;
}
