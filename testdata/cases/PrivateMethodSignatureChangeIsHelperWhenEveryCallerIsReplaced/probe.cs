// v1 rounds to whole units and quotes without a currency; v2's new private signatures round to
// cents and name the currency. The lambda in Discounted calls Round too.
public static class Probe
{
    public static string Run()
    {
        var prices = new Cases.PriceList();
        return prices.Price(10.456m) + " | " + prices.Discounted(10.456m) + " | " + prices.Quote(3.333m) + " | " + prices.Quote(1.005m);
    }
}
