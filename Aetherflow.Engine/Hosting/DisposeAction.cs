namespace Aetherflow.Engine.Hosting;

/// <summary>Adapts a synchronous cleanup to <see cref="IAsyncDisposable"/>, for <see cref="EngineComponents.Owned"/>.</summary>
internal sealed class DisposeAction(Action dispose) : IAsyncDisposable
{
    public ValueTask DisposeAsync()
    {
        dispose();
        return ValueTask.CompletedTask;
    }
}
