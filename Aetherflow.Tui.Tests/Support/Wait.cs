namespace Aetherflow.Tui.Tests.Support;

/// <summary>Waits on a condition with a deadline; never a bare sleep.</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for: {what}");
            }

            await Task.Delay(25);
        }
    }
}
