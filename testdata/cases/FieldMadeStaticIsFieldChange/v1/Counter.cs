namespace Cases;

public class VisitCounter
{
    private int _visits;

    public int Visit() => ++_visits;
}
