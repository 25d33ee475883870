using PatchGen.TestSupport.Golden;

namespace PatchGen.Instrumentation.Tests.Golden;

/// <summary>
/// The exact code the instrumenter writes, instruction by instruction, in the style of Cecil's own
/// <c>AssertCode</c> tests: each case compiles testdata/golden/instrumenter/&lt;case&gt;/input.cs, instruments
/// it and compares the methods it pins (and the stubs they call) with the case's expected.il. A change
/// to the rewrite shows up as a reviewed diff of that text (testdata/golden/README.md); docs/patch-sites.md
/// describes the same shapes in prose.
/// </summary>
public class InstrumenterGoldenTests
{
    private static void Verify(string caseName, params string[] pins)
    {
        using var input = InstrumentedCase.FromTestData(caseName);
        input.Verify(input.Methods(pins));
    }

    [Fact]
    public void AnInstanceMethodChecksItsSlotAndDispatchesWithThisErasedToObject()
        => Verify("InstanceMethod", "Golden.Account::Deposit");

    [Fact]
    public void StaticMethodsOfOneErasedSignatureShareAStub()
        => Verify("StaticMethod", "Golden.Pricing::Discount", "Golden.Pricing::Surcharge");

    [Fact]
    public void SmallBodiesThatLookInlinableAreMarkedAggressiveInlining()
        => Verify("SmallMethods", "Golden.Point::Sum", "Golden.Point::SumPlusOne", "Golden.Point::SumPlusTen", "Golden.Point::Weighted",
            "Golden.Point::Halvings", "Golden.Point::Fail", "Golden.Point::Twice", "Golden.Point::PeekX");

    [Fact]
    public void GenericCodeDispatchesThroughAGenericStubThatPassesItsOwnHandle()
        => Verify("GenericMethodOfGenericType", "Golden.Registry`1::GetOrAdd", "Golden.Registry`1::Remove", "Golden.Sequences::FirstOr");

    [Fact]
    public void AStructMethodPassesItsThisAsAManagedPointer()
        => Verify("StructMethods", "Golden.Money::Add", "Golden.Money::IsLargerThan");

    [Fact]
    public void ConstructorsGetASiteAndStaticConstructorsDoNot()
        => Verify("Constructors", "Golden.Entity::.ctor", "Golden.Order::.ctor", "Golden.Order::.cctor", "Golden.Size::.ctor");

    [Fact]
    public void AsyncMethodsAndIteratorsGetASiteOnTheKickoffAndOnMoveNext()
        => Verify("AsyncAndIterator", "Golden.Feed::CountAsync", "Golden.Feed/<CountAsync>d__0::MoveNext", "Golden.Feed::Squares", "Golden.Feed/<Squares>d__1::MoveNext");

    [Fact]
    public void ExceptionHandlersStayOnTheOriginalBodyAndTheDispatchBlockFollowsThem()
        => Verify("TryCatchFinally", "Golden.Parser::ParseOr", "Golden.Parser::Spin");

    [Fact]
    public void AutoPropertyAccessorsAreLeftAsTheCompilerWroteThem()
        => Verify("AutoProperties", "Golden.Customer::get_Name", "Golden.Customer::set_Name", "Golden.Customer::get_Created", "Golden.Customer::set_Created",
            "Golden.Customer::get_Score", "Golden.Customer::set_Score", "Golden.Customer::get_Age", "Golden.Customer::set_Age");

    [Fact]
    public void ByRefParametersAndReturnsAreErasedToRefByte()
        => Verify("RefParameters", "Golden.Buffers::Cell", "Golden.Buffers::Swap", "Golden.Buffers::TryHalve", "Golden.Buffers::Sum", "Golden.Buffers::Read");

    [Fact]
    public void LambdasAndLocalFunctionsGetTheirOwnSites()
        => Verify("LambdasAndLocalFunctions", "Golden.Scorer::Scores", "Golden.Scorer/<>c__DisplayClass1_0::<Scores>b__0", "Golden.Scorer::<Adder>b__2_0", "Golden.Scorer::<Twice>g__Double|3_0");

    /// <summary>
    /// Inline clones: a final interface method and a body with a <c>try</c>/<c>finally</c>, both called directly, get a
    /// site-less, non-virtual clone that the direct calls name; the call through the interface, the virtual method and
    /// the method nothing calls keep only their sites.
    /// </summary>
    [Fact]
    public void DirectlyCalledFinalMethodsAndBodiesWithHandlersGetInlineClones()
        => Verify("InlineClones", "Golden.Cursor::get_Current", "Golden.Cursor::<PatchGen>c$get_Current", "Golden.Cursor::<PatchGen>c$Next",
            "Golden.Counter::Add", "Golden.Counter::<PatchGen>c$Add", "Golden.Counter::AddTwice", "Golden.Counter::Peek", "Golden.Counter::Reset",
            "Golden.Scanner::Scan", "Golden.Scanner::First", "Golden.Scanner::Peek");

    /// <summary>
    /// By default (<see cref="InstrumentOptions.InlineSteadyStubs"/>): the methods call a steady stub (inlined by the JIT),
    /// which calls the full stub while a transition changes the function; a generic signature keeps its one full stub.
    /// </summary>
    [Fact]
    public void SteadyStubsCallTheSteadyTargetAndFallBackToTheFullStub()
    {
        using var input = InstrumentedCase.FromTestData("SteadyStubs", new InstrumentOptions { CopyRuntime = false });
        input.Verify(input.Methods("Golden.Pricing::Discount", "Golden.Account::Deposit", "Golden.Registry`1::Remove"));
    }

    /// <summary>
    /// <c>--no-steady-stubs</c>: the same methods (SteadyStubs' input) call the one full stub of their signature, out of line.
    /// </summary>
    [Fact]
    public void WithoutSteadyStubsTheMethodsCallTheFullStub()
    {
        using var input = InstrumentedCase.FromTestData("OutOfLineStubs", new InstrumentOptions { CopyRuntime = false, InlineSteadyStubs = false }, inputOf: "SteadyStubs");
        input.Verify(input.Methods("Golden.Pricing::Discount", "Golden.Account::Deposit", "Golden.Registry`1::Remove"));
    }

    /// <summary>
    /// Outlined bodies (site format 5): the large method checks its slot and forwards to its site-less clone, which has
    /// the original body (its call of a small method naming that one's clone); the direct call keeps naming the method;
    /// the large virtual method keeps today's site.
    /// </summary>
    [Fact]
    public void LargeNonVirtualMethodsForwardToTheirOutlinedBody()
    {
        using var input = InstrumentedCase.FromTestData("OutlinedBodies", new InstrumentOptions { CopyRuntime = false, OutlineBodiesOver = 128 });
        input.Verify(input.Methods("Golden.Ledger::Summarize", "Golden.Ledger::<PatchGen>c$Summarize", "Golden.Ledger::Report", "Golden.Ledger::Describe"));
    }

    /// <summary>Everything added besides the rewritten bodies: the assembly's attribute and references, the module initializer and the whole site table.</summary>
    [Fact]
    public void TheAssemblyGainsTheMarkerTheSiteTableAndAnObservingModuleInitializer()
    {
        using var input = InstrumentedCase.FromTestData("AssemblyShape");
        input.Verify(string.Join("\n", AssemblyText.Header(input.Assembly),
            TypeText.Of(input.Type("<Module>")),
            TypeText.Of(input.Type(PatchGen.Diagnostics.PatchSiteFormat.SitesTypeName))));
    }

    /// <summary>The sample library of the other instrumentation tests: site and stub numbers in a library with every shape of method.</summary>
    [Fact]
    public void TheSampleLibrarysPinnedMethodsKeepTheirSitesAndStubs()
    {
        using var input = InstrumentedCase.FromBuild("SampleLibrary", SampleBuild.InstrumentedPath);
        input.Verify(input.Methods("Lib.Calc::Add", "Lib.Counter::AddTwice", "Lib.Box`1::Describe"));
    }
}
