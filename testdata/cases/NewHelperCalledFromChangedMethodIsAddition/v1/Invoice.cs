namespace Cases;

public class Invoice
{
    public decimal Net { get; set; }

    public decimal Gross(decimal rate)
    {
        return Net * (1 + rate);
    }
}
