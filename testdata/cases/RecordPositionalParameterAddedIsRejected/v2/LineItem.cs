namespace Cases;

public record LineItem(string Sku, int Quantity, decimal UnitPrice)
{
    public bool IsBulk => Quantity >= 100;
}
