namespace Cases;

public class OrderWorker
{
    private bool _stopping;

    public void Stop() => _stopping = true;

    public int Drain(int pending)
    {
        int done = 0;
        while (!_stopping && done < pending)
            done++;
        return done;
    }
}
