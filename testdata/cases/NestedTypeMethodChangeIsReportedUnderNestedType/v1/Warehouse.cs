namespace Cases;

public class Warehouse
{
    public Shelf Main { get; } = new();

    public class Shelf
    {
        private int _used;

        public bool Store(int units)
        {
            _used += units;
            return true;
        }
    }
}
