using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Logging;

/// <summary>
/// A small logger factory that writes one line per entry — <c>2026-11-22T10:00:00.123Z info  Pool: message</c> — to
/// a <see cref="TextWriter"/> (the engine log file, or stderr in headless mode). Exceptions follow on their own lines.
/// </summary>
public sealed class LineLoggerFactory : ILoggerFactory
{
    private readonly TextWriter writer;
    private readonly LogLevel minimumLevel;
    private readonly TimeProvider timeProvider;
    private readonly bool ownsWriter;
    private readonly Lock gate = new();

    public LineLoggerFactory(TextWriter writer, LogLevel minimumLevel, TimeProvider timeProvider, bool ownsWriter)
    {
        this.writer = writer;
        this.minimumLevel = minimumLevel;
        this.timeProvider = timeProvider;
        this.ownsWriter = ownsWriter;
    }

    /// <summary>Opens (appending) a log file with owner-only permissions.</summary>
    public static LineLoggerFactory ForFile(string path, LogLevel minimumLevel, TimeProvider timeProvider)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        return new LineLoggerFactory(new StreamWriter(stream) { AutoFlush = true }, minimumLevel, timeProvider, ownsWriter: true);
    }

    public ILogger CreateLogger(string categoryName)
    {
        int dot = categoryName.LastIndexOf('.');
        return new LineLogger(this, dot < 0 ? categoryName : categoryName[(dot + 1)..]);
    }

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("LineLoggerFactory writes to a single sink");

    public void Dispose()
    {
        if (ownsWriter)
        {
            lock (gate)
            {
                writer.Dispose();
            }
        }
    }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        string stamp = timeProvider.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        string levelText = level switch
        {
            LogLevel.Trace => "trace",
            LogLevel.Debug => "debug",
            LogLevel.Information => "info ",
            LogLevel.Warning => "warn ",
            LogLevel.Error => "error",
            _ => "fatal",
        };
        lock (gate)
        {
            try
            {
                writer.WriteLine($"{stamp} {levelText} {category}: {message}");
                if (exception is not null)
                {
                    writer.WriteLine(exception.ToString());
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // A full disk or closed log must never take the engine down; the entry is lost, nothing else is.
            }
        }
    }

    private sealed class LineLogger(LineLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= factory.minimumLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                factory.Write(logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}
