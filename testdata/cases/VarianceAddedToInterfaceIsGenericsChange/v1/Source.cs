namespace Cases;

public interface IPriceSource<T>
{
    T Current();
}

public class FixedPrice : IPriceSource<decimal>
{
    public decimal Current() => 9.99m;
}
