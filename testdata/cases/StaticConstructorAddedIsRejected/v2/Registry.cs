using System.Collections.Generic;

namespace Cases;

public class PaymentRegistry
{
    private static List<string>? _providers;

    static PaymentRegistry()
    {
        _providers = new List<string> { "card" };
    }

    public static IReadOnlyList<string> Providers => _providers ??= new List<string>();
}
