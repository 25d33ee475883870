namespace Cases;

public delegate decimal PriceRule(decimal price, int quantity);

public class PriceList
{
    private PriceRule _rule = (price, quantity) => price;

    public void Use(PriceRule rule) => _rule = rule;

    public decimal Price(decimal basePrice) => _rule(basePrice, 1);
}
