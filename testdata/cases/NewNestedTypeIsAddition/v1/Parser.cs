namespace Cases;

public class Parser
{
    public int Parse(string text)
    {
        return int.Parse(text);
    }
}
