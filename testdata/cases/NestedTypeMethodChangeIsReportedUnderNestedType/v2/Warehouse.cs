namespace Cases;

public class Warehouse
{
    public Shelf Main { get; } = new();

    public class Shelf
    {
        private int _used;

        public bool Store(int units)
        {
            if (_used + units > 500)
                return false;
            _used += units;
            return true;
        }
    }
}
