using System.Collections.Generic;

namespace Cases;

public class PaymentRegistry
{
    private static List<string>? _providers;

    public static IReadOnlyList<string> Providers => _providers ??= new List<string>();
}
