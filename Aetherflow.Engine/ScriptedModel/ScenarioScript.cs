namespace Aetherflow.Engine.ScriptedModel;

/// <summary>A resolved scenario: its steps, and whether its first call fails once before the retry succeeds.</summary>
internal sealed record ScenarioScript(string Name, IReadOnlyList<ScriptStep> Steps, int? FailOnceStatus = null)
{
    /// <summary>The answer once every step was used: a plain text, so the client's turn ends.</summary>
    public ScriptStep StepAt(int index) =>
        index < Steps.Count ? Steps[index] : ScriptStep.Reply($"Scenario '{Name}' is finished.");
}
