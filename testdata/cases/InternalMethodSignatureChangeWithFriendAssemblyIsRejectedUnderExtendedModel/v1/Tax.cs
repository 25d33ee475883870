[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Cases.Tests")]

namespace Cases;

public class Tax
{
    public decimal Total(decimal net) => net + Vat(net);

    internal decimal Vat(decimal net) => net * 0.2m;
}
