[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Cases.Tests")]

namespace Cases;

public class Tax
{
    public decimal Total(decimal net) => net + Vat(net, 0.21m);

    internal decimal Vat(decimal net, decimal rate) => net * rate;
}
