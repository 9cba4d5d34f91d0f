using Aetherflow.Engine.Events;

namespace Aetherflow.Engine.Tests.Events;

public sealed class RecentToolCallsTests
{
    [Test]
    public void Calls_keep_the_order_they_started_in_and_an_update_keeps_its_place()
    {
        var calls = new RecentToolCalls(5);
        calls.Set(Call("prt_1", ToolCallStatus.Pending));
        calls.Set(Call("prt_2", ToolCallStatus.Pending));
        calls.Set(Call("prt_1", ToolCallStatus.Completed));

        Assert.That(calls.ToArray().Select(c => (c.PartId, c.Status)), Is.EqualTo(new[] { ("prt_1", ToolCallStatus.Completed), ("prt_2", ToolCallStatus.Pending) }));
        Assert.That(calls.TryGetValue("prt_1", out ToolCall? first) ? first.Status : (ToolCallStatus?)null, Is.EqualTo(ToolCallStatus.Completed));
    }

    [Test]
    public void Beyond_the_bound_the_oldest_call_goes_and_is_forgotten()
    {
        var calls = new RecentToolCalls(3);
        for (int i = 1; i <= 7; i++)
        {
            calls.Set(Call($"prt_{i}", ToolCallStatus.Running));
        }

        calls.Set(Call("prt_6", ToolCallStatus.Completed));
        calls.Set(Call("prt_1", ToolCallStatus.Completed));

        Assert.Multiple(() =>
        {
            Assert.That(calls.ToArray().Select(c => c.PartId), Is.EqualTo(new[] { "prt_6", "prt_7", "prt_1" }), "an update of a forgotten call starts it again, newest");
            Assert.That(calls.Count, Is.EqualTo(3));
            Assert.That(calls.TryGetValue("prt_5", out _), Is.False);
            Assert.That(calls.ToArray()[0].Status, Is.EqualTo(ToolCallStatus.Completed));
        });
    }

    private static ToolCall Call(string partId, ToolCallStatus status) => new() { PartId = partId, Tool = "bash", Status = status };
}
