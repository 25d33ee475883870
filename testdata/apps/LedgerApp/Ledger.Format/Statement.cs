using System.Globalization;
using Ledger.Calc;

namespace Ledger.Format;

/// <summary>The interest line of an account statement.</summary>
public static class Statement
{
    public static string InterestLine(long principal, int basisPoints)
        => string.Create(CultureInfo.InvariantCulture, $"{Interest.Yearly(principal, basisPoints)} EUR");
}
