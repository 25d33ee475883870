namespace Cases;

public interface IPriceSource<out T>
{
    T Current();
}

public class FixedPrice : IPriceSource<decimal>
{
    public decimal Current() => 9.99m;
}
