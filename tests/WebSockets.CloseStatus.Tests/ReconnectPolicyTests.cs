using System;
using System.Linq;
using FluentAssertions;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

/// <summary>The reconnect advice: the IANA registry's note on 1012, full-jitter back-off (issue #41), stops for bugs and policies.</summary>
public class ReconnectPolicyTests
{
    // Each code's action, from its meaning (RFC 6455 §7.4.1, the IANA close code registry): outages back off, bugs and
    // policies stop, the local-only 1006 is a dropped connection (§7.1.5) and backs off, 1015 is a certificate and stops.
    public static TheoryData<int, ReconnectAction> ProtocolCodes() => new()
    {
        { 1000, ReconnectAction.Stop },
        { 1001, ReconnectAction.Retry },
        { 1002, ReconnectAction.Stop },
        { 1003, ReconnectAction.Stop },
        { 1004, ReconnectAction.Stop },
        { 1005, ReconnectAction.Stop },
        { 1006, ReconnectAction.Retry },
        { 1007, ReconnectAction.Stop },
        { 1008, ReconnectAction.Stop },
        { 1009, ReconnectAction.Stop },
        { 1010, ReconnectAction.Stop },
        { 1011, ReconnectAction.Retry },
        { 1012, ReconnectAction.Retry },
        { 1013, ReconnectAction.Retry },
        { 1014, ReconnectAction.Retry },
        { 1015, ReconnectAction.Stop },
        { 0, ReconnectAction.Stop },
        { 999, ReconnectAction.Stop },
        { 1016, ReconnectAction.Stop },
        { 2999, ReconnectAction.Stop },
        { 3000, ReconnectAction.Stop },
        { 4999, ReconnectAction.Stop },
        { 5000, ReconnectAction.Stop },
        { 65535, ReconnectAction.Stop },
    };

    [Theory]
    [MemberData(nameof(ProtocolCodes))]
    public void EachCode_HasTheActionOfItsMeaning(int code, ReconnectAction expected)
    {
        ReconnectAdvice advice = new ReconnectPolicy().GetAdvice((WebSocketCloseStatus)code, 0, new FixedRandom(0.5));

        advice.Action.Should().Be(expected);
        advice.ShouldReconnect.Should().Be(expected != ReconnectAction.Stop);
        if (expected == ReconnectAction.Stop)
        {
            advice.Delay.Should().Be(TimeSpan.Zero);
            advice.ToString().Should().Be("Stop");
        }
    }

    [Theory]
    [InlineData(0.0, 5000)]
    [InlineData(0.5, 17500)]
    [InlineData(0.999, 29975)]
    public void ServiceRestart_WaitsFiveToThirtySeconds_TheRegistrysAdvice(double draw, int expectedMs)
    {
        // IANA close code registry, 1012: reconnect "using a randomized delay of 5 - 30s", whatever the attempt.
        foreach (int attempt in new[] { 0, 3, 40 })
        {
            ReconnectAdvice advice = new ReconnectPolicy().GetAdvice(WebSocketCloseStatus.ServiceRestart, attempt, new FixedRandom(draw));

            advice.Should().Be(new ReconnectAdvice(ReconnectAction.Retry, TimeSpan.FromMilliseconds(expectedMs)));
        }
    }

    [Theory]
    [InlineData(0, 1.0, 1000)]
    [InlineData(0, 0.25, 250)]
    [InlineData(1, 1.0, 2000)]
    [InlineData(3, 0.5, 4000)]
    [InlineData(5, 1.0, 32000)]
    [InlineData(6, 1.0, 60000)]
    [InlineData(63, 1.0, 60000)]
    [InlineData(int.MaxValue, 1.0, 60000)]
    [InlineData(3, 0.0, 0)]
    public void Outage_BacksOffWithFullJitter_UpToTheCap(int attempt, double draw, int expectedMs)
    {
        // "Full jitter": a delay drawn from zero to min(cap, base × 2^attempt); base 1 s and cap 60 s by default.
        ReconnectAdvice advice = new ReconnectPolicy().GetAdvice(WebSocketCloseStatus.TryAgainLater, attempt, new FixedRandom(draw));

        advice.Delay.Should().Be(TimeSpan.FromMilliseconds(expectedMs));
    }

    [Fact]
    public void Backoff_AtTheLongestDelays_DoesNotOverflow()
    {
        // Delays are what Task.Delay waits: at most Int32.MaxValue ms; 2^attempt past any cap is the cap.
        TimeSpan longest = TimeSpan.FromMilliseconds(int.MaxValue);
        var policy = new ReconnectPolicy { BaseDelay = longest, MaxDelay = longest, ServiceRestartMinDelay = longest, ServiceRestartMaxDelay = longest };

        policy.GetAdvice(WebSocketCloseStatus.AbnormalClosure, 62, new FixedRandom(1.0)).Delay.Should().Be(longest);
        policy.GetAdvice(WebSocketCloseStatus.AbnormalClosure, int.MaxValue, new FixedRandom(1.0)).Delay.Should().Be(longest);
        policy.GetAdvice(WebSocketCloseStatus.ServiceRestart, 0, new FixedRandom(0.7)).Delay.Should().Be(longest);
        FluentActions.Invoking(() => policy.MaxDelay = longest + TimeSpan.FromMilliseconds(1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Int32.MaxValue*");
        FluentActions.Invoking(() => policy.ServiceRestartMinDelay = longest + TimeSpan.FromMilliseconds(1)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void ServiceRestart_MayStartAtOnce()
    {
        var policy = new ReconnectPolicy { ServiceRestartMinDelay = TimeSpan.Zero, ServiceRestartMaxDelay = TimeSpan.FromSeconds(2) };

        policy.ServiceRestartMinDelay.Should().Be(TimeSpan.Zero);
        policy.GetAdvice(WebSocketCloseStatus.ServiceRestart, 0, new FixedRandom(0.0)).Delay.Should().Be(TimeSpan.Zero);
        policy.GetAdvice(WebSocketCloseStatus.ServiceRestart, 0, new FixedRandom(0.5)).Delay.Should().Be(TimeSpan.FromSeconds(1));
        FluentActions.Invoking(() => policy.ServiceRestartMinDelay = TimeSpan.FromTicks(-1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*zero or more*");
    }

    [Fact]
    public void ServiceRestart_Delays_SpreadOverTheWholeWindow()
    {
        // The spread is the point (block/buzz#4542): 20,000 clients' draws fill each 2.5 s of 5–30 s about evenly.
        var policy = new ReconnectPolicy();
        var random = new Random(41);
        double[] seconds = [.. Enumerable.Range(0, 20_000).Select(_ => policy.GetAdvice(WebSocketCloseStatus.ServiceRestart, 0, random).Delay.TotalSeconds)];

        seconds.Should().OnlyContain(s => s >= 5 && s < 30);
        int[] buckets = [.. seconds.GroupBy(s => (int)((s - 5) / 2.5)).OrderBy(g => g.Key).Select(g => g.Count())];
        buckets.Should().HaveCount(10).And.OnlyContain(n => n > 1800 && n < 2200, "each bucket's fair share is 2,000");
    }

    [Fact]
    public void NormalClosure_IsTheCallersChoice()
    {
        // Proxies close idle connections with 1000: a client that must stay connected asks to reconnect after it.
        var policy = new ReconnectPolicy { NormalClosure = ReconnectAction.Retry };

        policy.GetAdvice(WebSocketCloseStatus.NormalClosure, 2, new FixedRandom(0.5)).Should().Be(new ReconnectAdvice(ReconnectAction.Retry, TimeSpan.FromSeconds(2)));
        policy.GetAdvice(WebSocketCloseStatus.Empty, 0, new FixedRandom(0.5)).Action.Should().Be(ReconnectAction.Retry);
        new ReconnectPolicy().NormalClosure.Should().Be(ReconnectAction.Stop);
    }

    [Fact]
    public void ApplicationCodes_ComeFromTheTable_UndeclaredOnesStop()
    {
        var policy = new ReconnectPolicy();
        policy.SetApplicationCode((WebSocketCloseStatus)4001, ReconnectAction.RetryAfterAuthentication);
        policy.SetApplicationCode((WebSocketCloseStatus)3008, ReconnectAction.Retry);

        policy.GetAdvice((WebSocketCloseStatus)4001, 1, new FixedRandom(1.0)).Should().Be(new ReconnectAdvice(ReconnectAction.RetryAfterAuthentication, TimeSpan.FromSeconds(2)));
        policy.GetAdvice((WebSocketCloseStatus)3008, 0, new FixedRandom(0.5)).ToString().Should().Be("Retry after 0.5 s");
        policy.GetAdvice((WebSocketCloseStatus)3008, 1, new FixedRandom(1.0)).ToString().Should().Be("Retry after 2.0 s");
        policy.GetAdvice((WebSocketCloseStatus)4001, 1, new FixedRandom(0.6171)).ToString().Should().Be("RetryAfterAuthentication after 1.234 s");
        policy.GetAdvice((WebSocketCloseStatus)4002, 0, new FixedRandom(0.5)).Action.Should().Be(ReconnectAction.Stop);
    }

    [Theory]
    [InlineData(1008)]
    [InlineData(2999)]
    [InlineData(5000)]
    public void SetApplicationCode_OutsideTheApplicationRanges_Throws(int code)
    {
        Action declare = () => new ReconnectPolicy().SetApplicationCode((WebSocketCloseStatus)code, ReconnectAction.Retry);

        declare.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("closeStatus").WithMessage($"*3000–4999*{code} is not one*");
    }

    [Fact]
    public void CallerMistakes_Throw_WithTheNumbers()
    {
        var policy = new ReconnectPolicy();

        FluentActions.Invoking(() => policy.GetAdvice(WebSocketCloseStatus.ServiceRestart, -1, null)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("attempt").WithMessage("*-1*");
        FluentActions.Invoking(() => policy.GetAdvice(null!, 0)).Should().Throw<ArgumentNullException>().WithParameterName("result");
        FluentActions.Invoking(() => policy.BaseDelay = TimeSpan.Zero).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*positive*0 ms*");
        FluentActions.Invoking(() => policy.MaxDelay = TimeSpan.FromSeconds(-1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*-1000 ms*");
        FluentActions.Invoking(() => policy.ServiceRestartMaxDelay = TimeSpan.Zero).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => policy.ServiceRestartMinDelay = TimeSpan.FromSeconds(-1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => policy.NormalClosure = (ReconnectAction)3).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => policy.SetApplicationCode((WebSocketCloseStatus)4000, (ReconnectAction)(-1))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("action");
    }

    [Fact]
    public void Settings_AreWhatWasSet_AndARestartWindowOfNoWidthIsItsMinimum()
    {
        var policy = new ReconnectPolicy
        {
            BaseDelay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(2),
            ServiceRestartMinDelay = TimeSpan.FromSeconds(3),
            ServiceRestartMaxDelay = TimeSpan.FromSeconds(1),
        };

        (policy.BaseDelay, policy.MaxDelay, policy.ServiceRestartMinDelay, policy.ServiceRestartMaxDelay)
            .Should().Be((TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1)));
        policy.GetAdvice(WebSocketCloseStatus.ServiceRestart, 0, new FixedRandom(0.9)).Delay.Should().Be(TimeSpan.FromSeconds(3));
        policy.GetAdvice(WebSocketCloseStatus.BadGateway, 4, new FixedRandom(1.0)).Delay.Should().Be(TimeSpan.FromMilliseconds(1600));
        policy.GetAdvice(WebSocketCloseStatus.BadGateway, 5, new FixedRandom(1.0)).Delay.Should().Be(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void GetAdvice_OfAResult_ReadsItsCloseCode()
    {
        var dropped = new WebSocketCloseResult(WebSocketCloseStatus.AbnormalClosure, string.Empty, false, CloseInitiator.None, false, true, null, null);
        var policyViolation = new WebSocketCloseResult(WebSocketCloseStatus.PolicyViolation, "no", true, CloseInitiator.Remote, false, false, WebSocketCloseStatus.PolicyViolation, null);

        new ReconnectPolicy().GetAdvice(dropped, 0).Action.Should().Be(ReconnectAction.Retry);
        new ReconnectPolicy().GetAdvice(dropped, 0).Delay.Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(1));
        new ReconnectPolicy().GetAdvice(policyViolation, 0).Action.Should().Be(ReconnectAction.Stop);
    }

    [Fact]
    public void Advice_EqualsByActionAndDelay()
    {
        var a = new ReconnectAdvice(ReconnectAction.Retry, TimeSpan.FromSeconds(1));

        (a == new ReconnectAdvice(ReconnectAction.Retry, TimeSpan.FromSeconds(1))).Should().BeTrue();
        (a != new ReconnectAdvice(ReconnectAction.RetryAfterAuthentication, TimeSpan.FromSeconds(1))).Should().BeTrue();
        (a != new ReconnectAdvice(ReconnectAction.Retry, TimeSpan.FromSeconds(2))).Should().BeTrue();
        a.Equals((object)new ReconnectAdvice(ReconnectAction.Retry, TimeSpan.FromSeconds(1))).Should().BeTrue();
        a.Equals("Retry").Should().BeFalse();
        a.GetHashCode().Should().Be(new ReconnectAdvice(ReconnectAction.Retry, TimeSpan.FromSeconds(1)).GetHashCode());
        new[] { ReconnectAction.Stop, ReconnectAction.Retry, ReconnectAction.RetryAfterAuthentication }
            .Select(action => new ReconnectAdvice(action, TimeSpan.FromSeconds(1)).GetHashCode())
            .Should().OnlyHaveUniqueItems("the action is part of the hash");
        default(ReconnectAdvice).Should().Be(new ReconnectAdvice(ReconnectAction.Stop, TimeSpan.Zero));
    }

    // A random source whose draw is chosen by the test: the oracle is the arithmetic, not the policy.
    private sealed class FixedRandom(double draw) : Random
    {
        public override double NextDouble() => draw;

        protected override double Sample() => draw;
    }
}
