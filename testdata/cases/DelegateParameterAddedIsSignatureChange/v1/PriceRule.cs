namespace Cases;

public delegate decimal PriceRule(decimal price);

public class PriceList
{
    private PriceRule _rule = price => price;

    public void Use(PriceRule rule) => _rule = rule;

    public decimal Price(decimal basePrice) => _rule(basePrice);
}
