using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Tests.Sessions;

/// <summary>Keeps every log entry (all levels) so a test can assert on warnings or wait for a message.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> entries = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => entries.ToList();

    public IReadOnlyList<string> Warnings => entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();

    public bool Contains(string text) => entries.Any(e => e.Message.Contains(text, StringComparison.Ordinal));

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        entries.Enqueue((logLevel, formatter(state, exception)));
    }
}
