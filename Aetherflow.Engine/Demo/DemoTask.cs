namespace Aetherflow.Engine.Demo;

/// <summary>A demo task as created in the project's built-in store: its id, and what its scripted agent does.</summary>
/// <param name="Id">The task id in the store (its branch is <c>af/&lt;id&gt;</c>).</param>
/// <param name="Plan">The task's plan from <see cref="DemoCatalog"/>.</param>
public sealed record DemoTask(string Id, DemoTaskPlan Plan);
