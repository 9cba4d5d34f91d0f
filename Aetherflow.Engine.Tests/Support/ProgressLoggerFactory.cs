using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Tests.Support;

/// <summary>Engine logs to the test's progress output (visible with AETHERFLOW_TEST_VERBOSE=1 or on failure).</summary>
public sealed class ProgressLoggerFactory : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new ProgressLogger(categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }
}
