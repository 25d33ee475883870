namespace Cases;

public class Product
{
    public int StockLevel { get; set; }
}
