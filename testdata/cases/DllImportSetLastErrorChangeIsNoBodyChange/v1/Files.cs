using System.Runtime.InteropServices;

namespace Cases;

public static class Files
{
    [DllImport("libc", EntryPoint = "unlink")]
    private static extern int Unlink(string path);

    public static bool Delete(string path) => Unlink(path) == 0;
}
