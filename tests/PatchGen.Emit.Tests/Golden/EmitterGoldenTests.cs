namespace PatchGen.Emit.Tests.Golden;

/// <summary>
/// The exact patch assembly the emitter writes for a few cases, in the style of Cecil's <c>AssertCode</c>
/// tests: its assembly attributes (Patch with the base's MVID masked, IgnoresAccessChecksTo), every holder
/// with its replacements (<c>[Replaces]</c>, explicit <c>this</c>), every <c>&lt;Original&gt;</c> copy, and
/// whatever the patch copies. A change to the emitter shows up as a reviewed diff of
/// testdata/golden/emitter/&lt;case&gt;/expected.il (testdata/golden/README.md; the format: docs/patch-format.md).
/// </summary>
public class EmitterGoldenTests
{
    [Fact]
    public void APlainBodyChange() => EmittedPatchCase.VerifyCase("BodyChangeIsPatchable");

    [Fact]
    public void AMethodOfAGenericTypeAndAGenericMethodOfIt() => EmittedPatchCase.VerifyCase("GenericTypeAndMethodBodyChangesArePatchable");

    [Fact]
    public void AStructMethodTakesItsThisByReference() => EmittedPatchCase.VerifyCase("StructMethodBodyChangeIsPatchable");

    [Fact]
    public void AConstructorIsReplacedByItsWholeNewBody() => EmittedPatchCase.VerifyCase("ConstructorBodyChangeIsConstructorChange");

    [Fact]
    public void AChangedLambdaIsReplacedInPlaceOnTheLiveClosureClass() => EmittedPatchCase.VerifyCase("LambdaBodyChangeIsReportedUnderOwner");

    [Fact]
    public void ALambdaCapturingOnlyThisIsReplacedInPlaceThroughItsOwnSite() => EmittedPatchCase.VerifyCase("LambdaCapturingThisChangeIsReportedUnderOwner");

    [Fact]
    public void AnAsyncMethodShipsACopyOfItsStateMachine() => EmittedPatchCase.VerifyCase("AsyncMethodBodyChangeIsStateMachineChange");

    [Fact]
    public void AnAddedHelperBecomesAStaticMethodOfTheHolder() => EmittedPatchCase.VerifyCase("NewHelperCalledFromChangedMethodIsAddition");

    [Fact]
    public void ChangedArrayInitializerDataShipsItsOwnPrivateImplementationDetails() => EmittedPatchCase.VerifyCase("ArrayInitializerDataChangeIsBodyChange");

    [Fact]
    public void AnAddedStaticFieldLivesInItsHolderWhoseStaticConstructorRunsItsInitializer() => EmittedPatchCase.VerifyCase("StaticFieldAddedToTypeWithoutStaticConstructorIsMovedUnderExtendedModel");

    [Fact]
    public void AnAddedInstanceFieldIsReachedThroughShadowVariableHelpersAndRemovedAfterUnpatch() => EmittedPatchCase.VerifyCase("InstanceFieldAddedIsShadowedUnderExtendedModel");

    [Fact]
    public void APatchOfTwoAssembliesBindsBothAndCallsAcrossThem() => EmittedPatchCase.VerifyTwoAssemblies("TwoAssemblies");

    [Fact]
    public void CallbacksAndSystemStatesBecomeTheRuntimesAttributes() => EmittedPatchCase.VerifyGoldenSources("CallbacksAndSystemState");
}
