using Aetherflow.Engine.Opencode;

namespace Aetherflow.Engine.Tests.Opencode;

public sealed class RestartBackoffTests
{
    [TestCase(0, 1)]
    [TestCase(1, 2)]
    [TestCase(2, 4)]
    [TestCase(4, 16)]
    [TestCase(5, 30)]
    [TestCase(1000, 30)]
    public void Delays_double_per_failure_up_to_the_cap(int attempt, int expectedSeconds)
    {
        TimeSpan delay = RestartBackoff.Delay(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

        Assert.That(delay, Is.EqualTo(TimeSpan.FromSeconds(expectedSeconds)));
    }
}
