namespace Cases;

public class Product
{
    public long StockLevel { get; set; }
}
