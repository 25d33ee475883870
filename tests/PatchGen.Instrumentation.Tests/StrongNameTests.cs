using System.Reflection;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PatchGen.Diagnostics;
using PatchGen.TestSupport;

namespace PatchGen.Instrumentation.Tests;

/// <summary>A strong-named input keeps its identity; <c>--key</c> signs the output with the given key pair.</summary>
public class StrongNameTests
{
    private const string Source = "namespace Signed; public class Greeter { public string Hello(string n) => \"hello \" + n.Trim(); }";

    private static string NewKey(string directory, string name)
    {
        using var rsa = new RSACryptoServiceProvider(1024);
        var path = Path.Combine(directory, name + ".snk");
        File.WriteAllBytes(path, rsa.ExportCspBlob(includePrivateParameters: true));
        return path;
    }

    /// <summary>The public key token an .snk gives, as the C# compiler computes it when it signs with it.</summary>
    private static byte[] TokenOf(string snk)
    {
        var dir = InlineAssembly.TempDirectory("token");
        return AssemblyName.GetAssemblyName(CompileSigned(dir, snk)).GetPublicKeyToken()!;
    }

    private static string CompileSigned(string directory, string snk)
    {
        var tree = CSharpSyntaxTree.ParseText(Source);
        var compilation = CaseCompiler.CreateCompilation("Signed", new[] { tree });
        compilation = compilation.WithOptions(compilation.Options.WithCryptoKeyFile(snk).WithStrongNameProvider(new DesktopStrongNameProvider()));
        var path = Path.Combine(directory, "Signed.dll");
        var result = compilation.Emit(path);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return path;
    }

    private static string Greet(string path)
    {
        var assembly = SampleBuild.Load(path);
        var greeter = Activator.CreateInstance(assembly.GetType("Signed.Greeter", true)!)!;
        return (string)greeter.GetType().GetMethod("Hello")!.Invoke(greeter, new object[] { " you " })!;
    }

    private static bool IsSigned(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var directory = pe.PEHeaders.CorHeader!.StrongNameSignatureDirectory;
        if ((pe.PEHeaders.CorHeader.Flags & CorFlags.StrongNameSigned) == 0 || directory.Size == 0)
            return false;
        pe.PEHeaders.TryGetDirectoryOffset(directory, out int offset);
        var bytes = File.ReadAllBytes(path).AsSpan(offset, directory.Size);
        return bytes.IndexOfAnyExcept((byte)0) >= 0;
    }

    [Fact]
    public void PublicKeyIsKeptWithoutAKey()
    {
        var dir = InlineAssembly.TempDirectory("strong-keep");
        var snk = NewKey(dir, "original");
        var input = CompileSigned(dir, snk);
        var output = Path.Combine(dir, "out", "Signed.dll");
        AssemblyInstrumenter.Instrument(input, output);
        Assert.Equal(TokenOf(snk), AssemblyName.GetAssemblyName(output).GetPublicKeyToken());
        Assert.Equal(AssemblyName.GetAssemblyName(input).FullName, AssemblyName.GetAssemblyName(output).FullName);
        Assert.Equal("hello you", Greet(output));
    }

    [Fact]
    public void KeyResignsTheOutput()
    {
        var dir = InlineAssembly.TempDirectory("strong-key");
        var input = CompileSigned(dir, NewKey(dir, "original"));
        var other = NewKey(dir, "other");
        var output = Path.Combine(dir, "out", "Signed.dll");
        AssemblyInstrumenter.Instrument(input, output, new InstrumentOptions { KeyFile = other });
        Assert.Equal(TokenOf(other), AssemblyName.GetAssemblyName(output).GetPublicKeyToken());
        Assert.True(IsSigned(output));
        Assert.Equal("hello you", Greet(output));
    }

    [Fact]
    public void AnUnsignedInputCanBeSigned()
    {
        var dir = InlineAssembly.TempDirectory("strong-new");
        var input = InlineAssembly.Compile(dir, "Signed", Source);
        var key = NewKey(dir, "k");
        var output = Path.Combine(dir, "out", "Signed.dll");
        AssemblyInstrumenter.Instrument(input, output, new InstrumentOptions { KeyFile = key });
        Assert.Equal(TokenOf(key), AssemblyName.GetAssemblyName(output).GetPublicKeyToken());
        Assert.True(IsSigned(output));
    }

    [Fact]
    public void ABadKeyFileIsPG0001()
    {
        var dir = InlineAssembly.TempDirectory("strong-bad");
        var input = InlineAssembly.Compile(dir, "Signed", Source);
        var key = Path.Combine(dir, "bad.snk");
        File.WriteAllText(key, "not a key");
        var output = Path.Combine(dir, "out", "Signed.dll");
        var e = Assert.Throws<PatchGen.Diagnostics.PatchGenException>(() => AssemblyInstrumenter.Instrument(input, output, new InstrumentOptions { KeyFile = key }));
        Assert.Equal("PG0001", e.Diagnostic.Id);
        Assert.Contains(key, e.Diagnostic.Message);
        Assert.False(File.Exists(output));
    }
}
