using System.Net;
using System.Text.Json.Nodes;
using Aetherflow.Engine.ScriptedModel;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static Aetherflow.Engine.Tests.ScriptedModel.ScriptedModelClient;

namespace Aetherflow.Engine.Tests.ScriptedModel;

/// <summary>Slow, hang, lifetime and concurrency behaviour, on a fake clock.</summary>
public sealed class ScriptedModelTimingTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private FakeTimeProvider clock = null!;
    private ScriptedModelServer server = null!;
    private ScriptedModelClient client = null!;

    [SetUp]
    public async Task StartServer()
    {
        clock = new FakeTimeProvider(Start);
        server = await ScriptedModelServer.StartAsync(new ScriptedModelOptions { TimeProvider = clock });
        client = new ScriptedModelClient(server);
    }

    [TearDown]
    public async Task StopServer()
    {
        client.Dispose();
        await server.DisposeAsync();
    }

    [Test]
    public async Task The_slow_scenario_streams_five_pieces_that_far_apart_on_the_clock()
    {
        using HttpResponseMessage response = await client.Http.SendAsync(
            Post(Body(Conversation(("user", "SCENARIO:slow:2")), stream: true)), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var pieces = new List<(string Text, long Created)>();
        while (pieces.Count < 5)
        {
            string? line = await Eventually.WithinAsync(reader.ReadLineAsync(), "the next streamed line");
            if (line is null || !line.StartsWith("data: {", StringComparison.Ordinal))
            {
                continue;
            }

            JsonNode chunk = JsonNode.Parse(line["data: ".Length..])!;
            if (chunk["choices"]![0]!["delta"]!["content"]?.GetValue<string>() is { Length: > 0 } text)
            {
                pieces.Add((text, chunk["created"]!.GetValue<long>()));
                clock.Advance(TimeSpan.FromSeconds(2));
            }
        }

        string rest = await Eventually.WithinAsync(reader.ReadToEndAsync(), "the end of the stream");
        long start = Start.ToUnixTimeSeconds();
        Assert.That(string.Concat(pieces.Select(p => p.Text)), Is.EqualTo("One. Two. Three. Four. Five."));
        Assert.That(pieces.Select(p => p.Created - start), Is.EqualTo(new long[] { 0, 2, 4, 6, 8 }), "each piece waited for the clock");
        Assert.That(rest, Does.Contain("\"finish_reason\":\"stop\"").And.Contain("data: [DONE]"));
    }

    [Test]
    public async Task A_hang_answers_only_once_the_clock_passed_the_delay()
    {
        Task<StreamedAnswer> answer = client.StreamAsync(Conversation(("user", "SCENARIO:hang:60")));
        await Eventually.TrueAsync(() => server.Requests.Any(r => r.Answer == "hang"), "the hang request to arrive");

        clock.Advance(TimeSpan.FromSeconds(59));
        bool answeredEarly = answer.IsCompleted;
        clock.Advance(TimeSpan.FromSeconds(1));
        StreamedAnswer result = await Eventually.WithinAsync(answer, "the answer after the hang");

        Assert.That(answeredEarly, Is.False);
        Assert.That(result.Text, Is.EqualTo("Finished hanging."));
        Assert.That(result.Chunks[0]["created"]!.GetValue<long>(), Is.EqualTo(Start.AddSeconds(60).ToUnixTimeSeconds()));
    }

    [Test]
    public async Task A_client_that_gives_up_on_a_hang_leaves_the_server_serving()
    {
        using var giveUp = new CancellationTokenSource();
        Task<StreamedAnswer> hanging = client.StreamAsync(Conversation(("user", "SCENARIO:hang")), cancellationToken: giveUp.Token);
        await Eventually.TrueAsync(() => server.Requests.Any(r => r.Answer == "hang"), "the hang request to arrive");

        await giveUp.CancelAsync();
        await Assert.CatchAsync<OperationCanceledException>(async () => await hanging);
        StreamedAnswer next = await Eventually.WithinAsync(client.StreamAsync(Conversation(("user", "SCENARIO:text"))), "an answer after the abort");

        Assert.That(next.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(next.FinishReason, Is.EqualTo("stop"));
    }

    [Test]
    public async Task Concurrent_sessions_are_answered_independently_while_others_hang()
    {
        Task<StreamedAnswer>[] hangs = Enumerable.Range(0, 4)
            .Select(i => client.StreamAsync(Conversation(("user", "SCENARIO:hang:30")), sessionId: $"ses_hang{i}"))
            .ToArray();
        await Eventually.TrueAsync(() => server.Requests.Count(r => r.Answer == "hang") == 4, "all hang requests to arrive");

        string[] scenarios = ["bash", "parallel", "text", "write-file", "multi"];
        Task<StreamedAnswer>[] others = Enumerable.Range(0, 20)
            .Select(i => client.StreamAsync(Conversation(("user", $"SCENARIO:{scenarios[i % scenarios.Length]}")), sessionId: $"ses_{i}"))
            .ToArray();
        StreamedAnswer[] answered = await Eventually.WithinAsync(Task.WhenAll(others), "the 20 concurrent answers");
        bool anyHangFinishedEarly = hangs.Any(h => h.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(30));
        StreamedAnswer[] hung = await Eventually.WithinAsync(Task.WhenAll(hangs), "the hang answers");

        Assert.That(anyHangFinishedEarly, Is.False);
        for (int i = 0; i < 20; i++)
        {
            string expected = scenarios[i % scenarios.Length] switch
            {
                "bash" or "multi" => "bash",
                "parallel" => "bash,bash",
                "write-file" => "write",
                _ => string.Empty,
            };
            Assert.That(string.Join(",", answered[i].ToolCalls.Select(c => c.Name)), Is.EqualTo(expected), $"answer {i}");
        }

        Assert.That(hung.Select(h => h.Text), Is.All.EqualTo("Finished hanging."));
        Assert.That(server.Requests.Select(r => r.SessionId).Distinct().Count(), Is.EqualTo(24));
    }

    [Test]
    public async Task The_server_stops_by_itself_at_its_maximum_lifetime()
    {
        await using ScriptedModelServer limited = await ScriptedModelServer.StartAsync(
            new ScriptedModelOptions { TimeProvider = clock, MaxLifetime = TimeSpan.FromMinutes(10) });

        clock.Advance(TimeSpan.FromMinutes(9));
        bool stoppedEarly = limited.Completion.IsCompleted;
        clock.Advance(TimeSpan.FromMinutes(1));
        await Eventually.WithinAsync(limited.Completion.ContinueWith(_ => true, TaskScheduler.Default), "the server to stop at its lifetime");

        Assert.That(stoppedEarly, Is.False);
        using var http = new HttpClient { BaseAddress = limited.BaseAddress };
        await Assert.ThrowsAsync<HttpRequestException>(async () => await http.GetStringAsync("_health"));
    }
}
