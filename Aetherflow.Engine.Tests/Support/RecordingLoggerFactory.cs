using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Tests.Support;

/// <summary>Every logger it creates writes into one <see cref="RecordingLogger"/>, for tests that wait on a log line.</summary>
public sealed class RecordingLoggerFactory : ILoggerFactory
{
    public RecordingLogger Logger { get; } = new();

    public bool Contains(string text) => Logger.Entries.Any(e => e.Message.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => Logger;

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }
}
