using System.Diagnostics;
using System.Globalization;

namespace PatchGen.Runtime.Tests.Control;

/// <summary>
/// Another Unix user, for tests that play an attacker for real (CI runs as root, and creates it). Null
/// where the tests do not run as root on Linux: then there is nobody to create it, and the tests that
/// need it say so in their output instead of pretending.
/// </summary>
internal sealed record SecondUnixUser(string Name, uint Uid, uint Gid)
{
    private const string UserName = "pgattacker";

    private static readonly Lazy<SecondUnixUser?> Instance = new(Create);

    public static SecondUnixUser? Get() => Instance.Value;

    private static SecondUnixUser? Create()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
            return null;
        if (Run("id", "-u", UserName).ExitCode != 0)
        {
            var added = Run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", UserName);
            Assert.True(added.ExitCode == 0 || Run("id", "-u", UserName).ExitCode == 0, "useradd failed: " + added.Output);
        }
        uint uid = uint.Parse(Run("id", "-u", UserName).Output.Trim(), CultureInfo.InvariantCulture);
        uint gid = uint.Parse(Run("id", "-g", UserName).Output.Trim(), CultureInfo.InvariantCulture);
        return new SecondUnixUser(UserName, uid, gid);
    }

    /// <summary>
    /// Starts <paramref name="arguments"/> as this user, in the same process (setpriv execs, it does not
    /// fork), so the returned process's ID is the command's own.
    /// </summary>
    public ProcessStartInfo StartInfo(params string[] arguments)
    {
        var start = new ProcessStartInfo("setpriv")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--reuid=" + Uid, "--regid=" + Gid, "--clear-groups", "--" }.Concat(arguments))
            start.ArgumentList.Add(argument);
        start.Environment["HOME"] = "/tmp";
        return start;
    }

    /// <summary>Runs a short command as this user and returns its exit code and output.</summary>
    public (int ExitCode, string Output) RunAs(params string[] arguments)
    {
        using var process = Process.Start(StartInfo(arguments))!;
        process.StandardInput.Close();
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(20_000), "timed out: " + string.Join(" ", arguments));
        return (process.ExitCode, output);
    }

    private static (int ExitCode, string Output) Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit(20_000);
        return (process.ExitCode, output);
    }
}
