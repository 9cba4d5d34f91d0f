namespace Aetherflow.Engine.Tests.Support;

/// <summary>Waits for a condition with a deadline — the only way tests here wait for something asynchronous.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test with <paramref name="what"/> at the deadline.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for: {what}");
            }

            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    /// <summary>Awaits <paramref name="task"/> with a deadline.</summary>
    public static async Task<T> WithinAsync<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        try
        {
            return await task.WaitAsync(timeout ?? DefaultTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"timed out waiting for: {what}");
            throw;
        }
    }
}
