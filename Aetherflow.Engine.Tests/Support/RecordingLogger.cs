using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Tests.Support;

/// <summary>An <see cref="ILogger"/> that keeps every entry, for tests that check what was reported.</summary>
public sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> entries = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => entries.ToArray();

    public IEnumerable<string> MessagesAt(LogLevel level) => Entries.Where(e => e.Level == level).Select(e => e.Message);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        entries.Enqueue((logLevel, formatter(state, exception)));
    }
}
