using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Tests.Support;

/// <summary>
/// Writes log entries to the test runner's progress output, so a failing integration test shows what the component
/// under test did. Information and above by default; everything with <c>AETHERFLOW_TEST_VERBOSE=1</c>.
/// </summary>
public sealed class ProgressLogger(string category) : ILogger
{
    private static readonly LogLevel Threshold =
        Environment.GetEnvironmentVariable("AETHERFLOW_TEST_VERBOSE") == "1" ? LogLevel.Trace : LogLevel.Information;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= Threshold;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            TestContext.Progress.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel,-11} {category}: {formatter(state, exception)}{(exception is null ? string.Empty : " — " + exception.Message)}");
        }
    }
}
