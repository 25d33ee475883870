using PatchGen.Runtime.Tests.Control;
using PatchGen.Runtime.Tests.Signing;
using PatchGen.TestSupport;

namespace PatchGen.Runtime.Tests.PatchDirectory;

/// <summary>
/// A console application that serves answers under load (two threads calling in a loop, every answer
/// tallied), compiled, made patchable by the real instrumenter with the runtime beside it, and patches
/// for it written by hand as a patch author would (ProbeBase style: each replacement with its copy of
/// the original, compiled in memory against the instrumented build). An answer is <c>A&lt;n&gt;:P&lt;m&gt;
/// E&lt;k&gt;</c>: <c>Answer</c> and the <c>Part</c> it calls are changed together by every fix, so
/// <c>A2:P1</c> would be a thread mixing two versions within one call chain; <c>Extra</c> is changed by a
/// patch of its own.
/// </summary>
internal sealed class ServedApp
{
    public const string AssemblyName = "Served";

    private const string Source = """
        using System;
        using System.Collections.Concurrent;
        using System.Linq;
        using System.Threading;

        namespace Served
        {
            public static class Service
            {
                public static string Answer(int i) => "A1:" + Part(i);
                public static string Part(int i) => "P1";
                public static string Extra(int i) => "E1";
            }

            public static class Program
            {
                private static readonly ConcurrentDictionary<string, long> Tally = new ConcurrentDictionary<string, long>();

                public static int Main()
                {
                    // The first call of all: a patch in the folder must already be in force.
                    Console.WriteLine("first " + Service.Answer(0) + " " + Service.Extra(0));
                    for (int t = 0; t < 2; t++)
                        new Thread(Work) { IsBackground = true, Name = "worker " + t }.Start();
                    Console.WriteLine("ready");
                    string line;
                    while ((line = Console.ReadLine()) != null)
                    {
                        if (line == "tally")
                            Console.WriteLine("tally " + string.Join(";", Tally.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => k.Key + "=" + k.Value)));
                        else if (line == "late")
                        {
                            // An assembly loaded long after Main started, as a plug-in is: its first call must run its patch.
                            var late = System.Reflection.Assembly.LoadFrom(System.IO.Path.Combine(AppContext.BaseDirectory, "Served.Late.dll"));
                            Console.WriteLine("late " + late.GetType("Served.Late.Lib").GetMethod("Answer").Invoke(null, null));
                        }
                        else if (line == "late-jit")
                        {
                            // The same assembly, loaded by the JIT as it compiles the first method that uses it.
                            Console.WriteLine("late " + CallLate());
                        }
                    }
                    return 0;
                }

                [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
                private static string CallLate() => Served.Late.Lib.Answer();

                private static void Work()
                {
                    for (int i = 0; ; i++)
                    {
                        string answer = Service.Answer(i) + " " + Service.Extra(i);
                        Tally.AddOrUpdate(answer, 1, (_, n) => n + 1);
                        if ((i & 63) == 0)
                            Thread.Sleep(1);
                    }
                }
            }
        }
        """;

    private const string LateSource = """
        namespace Served.Late;
        public static class Lib
        {
            public static string Answer() => "L1";
        }
        """;

    private static readonly Lazy<ServedApp> Instance = new(() => new ServedApp());

    private ServedApp()
    {
        var latePlain = PatchGen.TestSupport.InlineAssembly.Compile(PatchGen.TestSupport.InlineAssembly.TempDirectory("served-late"), "Served.Late", LateSource);
        var plainFolder = PatchGen.TestSupport.InlineAssembly.TempDirectory("served-plain");
        var plain = ConsoleApp.Compile(plainFolder, AssemblyName, Source, latePlain);
        Folder = PatchGen.TestSupport.InlineAssembly.TempDirectory("served");
        AssemblyPath = Path.Combine(Folder, AssemblyName + ".dll");
        // With the runtime copied beside it, as `patchgen instrument` leaves a build; without inline clones, since the
        // patches below are written by hand (ProbeBase says why).
        PatchGen.Instrumentation.AssemblyInstrumenter.Instrument(plain, AssemblyPath, new PatchGen.Instrumentation.InstrumentOptions { InlineCloneMaxCodeSize = 0, OutlineBodiesOver = 0 });
        File.Copy(Path.Combine(plainFolder, AssemblyName + ".runtimeconfig.json"), Path.Combine(Folder, AssemblyName + ".runtimeconfig.json"));
        var image = File.ReadAllBytes(AssemblyPath);
        var latePath = Path.Combine(Folder, "Served.Late.dll");
        PatchGen.Instrumentation.AssemblyInstrumenter.Instrument(latePlain, latePath, new PatchGen.Instrumentation.InstrumentOptions { CopyRuntime = false, InlineCloneMaxCodeSize = 0, OutlineBodiesOver = 0 });
        var lateImage = File.ReadAllBytes(latePath);
        Mvid = MvidOf(image);

        Fix2 = Patch("served-fix-2", Fix("2"), image, Mvid);
        Fix3 = Patch("served-fix-3", Fix("3"), image, Mvid);
        Fix3Cumulative = Patch("served-fix-3c", Fix("3"), image, Mvid, cumulative: true);
        Extra2 = Patch("served-extra-2", Extra("2"), image, Mvid);
        OtherBuild = Patch("served-other-build", Fix("2"), image, Guid.NewGuid());
        LateFix = Compiler.Compile("served_late_fix", $$"""
            using PatchGen.Runtime;
            [assembly: Patch("served-late-fix", "Served.Late", "{{MvidOf(lateImage)}}")]
            public static class Replacements
            {
                [Replaces("M:Served.Late.Lib.Answer")] public static string Answer() => "L2";
            }
            public static class Originals
            {
                [Original("M:Served.Late.Lib.Answer")] public static string Answer() => "L1";
            }
            """, lateImage);
        Key = SigningFixture.KeyPair(slot: 15);
        SignedExtra2 = SigningFixture.SignWithCecil(Extra2, Key);
    }

    public static ServedApp Get() => Instance.Value;

    /// <summary>The instrumented build, with PatchGen.Runtime.dll beside it.</summary>
    public string Folder { get; }

    public string AssemblyPath { get; }

    public Guid Mvid { get; }

    /// <summary>Answers A2:P2.</summary>
    public byte[] Fix2 { get; }

    /// <summary>Answers A3:P3.</summary>
    public byte[] Fix3 { get; }

    /// <summary>Answers A3:P3 and atomically replaces every patch of the application.</summary>
    public byte[] Fix3Cumulative { get; }

    /// <summary>Answers E2.</summary>
    public byte[] Extra2 { get; }

    /// <summary><see cref="Fix2"/>, but for another build (another MVID): PG0005.</summary>
    public byte[] OtherBuild { get; }

    /// <summary>Makes Served.Late.Lib.Answer, in an assembly the application loads only when asked ("late"), answer L2.</summary>
    public byte[] LateFix { get; }

    /// <summary>A strong-name key pair the tests that check signatures trust.</summary>
    public byte[] Key { get; }

    /// <summary><see cref="Extra2"/> signed with <see cref="Key"/>.</summary>
    public byte[] SignedExtra2 { get; }

    /// <summary>Bytes that start like a PE file and are nothing.</summary>
    public static byte[] Corrupt { get; } = { 0x4d, 0x5a, 1, 2, 3, 4, 5, 6, 7, 8 };

    /// <summary>The answers a request may see: each fix changes Answer and Part together.</summary>
    public static bool IsConsistent(string answer)
        => answer.Split(' ') is [var chain, var extra]
           && chain is "A1:P1" or "A2:P2" or "A3:P3"
           && extra is "E1" or "E2";

    private static string Fix(string version) => $$"""
        public static class Replacements
        {
            [Replaces("M:Served.Service.Answer(System.Int32)")] public static string Answer(int i) => "A{{version}}:" + Served.Service.Part(i);
            [Replaces("M:Served.Service.Part(System.Int32)")] public static string Part(int i) => "P{{version}}";
        }
        public static class Originals
        {
            [Original("M:Served.Service.Answer(System.Int32)")] public static string Answer(int i) => "A1:" + Served.Service.Part(i);
            [Original("M:Served.Service.Part(System.Int32)")] public static string Part(int i) => "P1";
        }
        """;

    private static string Extra(string version) => $$"""
        public static class Replacements
        {
            [Replaces("M:Served.Service.Extra(System.Int32)")] public static string Extra(int i) => "E{{version}}";
        }
        public static class Originals
        {
            [Original("M:Served.Service.Extra(System.Int32)")] public static string Extra(int i) => "E1";
        }
        """;

    private static byte[] Patch(string id, string body, byte[] baseImage, Guid mvid, bool cumulative = false)
        => Compiler.Compile(id.Replace('-', '_'), $$"""
            using PatchGen.Runtime;
            [assembly: Patch("{{id}}", "{{AssemblyName}}", "{{mvid}}", Cumulative = {{(cumulative ? "true" : "false")}})]
            {{body}}
            """, baseImage);

    private static Guid MvidOf(byte[] image)
    {
        using var pe = new System.Reflection.PortableExecutable.PEReader(new MemoryStream(image));
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        return metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
    }
}
