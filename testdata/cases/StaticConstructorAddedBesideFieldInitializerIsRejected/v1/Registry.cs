using System.Collections.Generic;

namespace Cases;

public class PaymentRegistry
{
    private static List<string> _providers = new();

    public static IReadOnlyList<string> Providers => _providers;
}
