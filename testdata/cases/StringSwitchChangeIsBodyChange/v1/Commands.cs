namespace Cases;

public static class Commands
{
    public static int Code(string command)
    {
        switch (command)
        {
            case "start": return 1;
            case "stop": return 2;
            case "pause": return 3;
            case "resume": return 4;
            case "status": return 5;
            case "reload": return 6;
            case "help": return 7;
            default: return 0;
        }
    }

    public static bool IsKnown(string command) => Code(command) != 0;
}
