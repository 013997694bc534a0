using System.Threading.Tasks;
using Xunit;
using static WebSockets.CloseStatus.Analyzers.Tests.Sources;
using static WebSockets.CloseStatus.Analyzers.Tests.Verify;

namespace WebSockets.CloseStatus.Analyzers.Tests;

/// <summary>WSCS005: <c>CloseAsync</c> awaited with a token that never cancels can wait forever (dotnet/runtime#51590).</summary>
public sealed class TimeoutRuleTests
{
    [Fact]
    public Task TokensThatNeverCancel_AreReported() =>
        AnalyzerAsync(
            InMethod("""
                await {|#0:ws.CloseAsync(NetStatus.NormalClosure, "bye", CancellationToken.None)|};
                await {|#1:ws.CloseAsync(NetStatus.NormalClosure, "bye", default)|};
                await {|#2:client.CloseAsync(NetStatus.NormalClosure, "bye", default(CancellationToken))|};
                await {|#3:ws.CloseAsync(NetStatus.NormalClosure, "bye", new CancellationToken())|};
                await {|#4:ws.CloseAsync(NetStatus.NormalClosure, "bye", new CancellationToken(false))|}.ConfigureAwait(false);
                await {|#5:ws.CloseAsync(CloseStatus.NormalClosure, "bye", CancellationToken.None)|};
                """),
            Diagnostic("WSCS005").WithLocation(0).WithArguments("CloseAsync"),
            Diagnostic("WSCS005").WithLocation(1).WithArguments("CloseAsync"),
            Diagnostic("WSCS005").WithLocation(2).WithArguments("CloseAsync"),
            Diagnostic("WSCS005").WithLocation(3).WithArguments("CloseAsync"),
            Diagnostic("WSCS005").WithLocation(4).WithArguments("CloseAsync"),
            Diagnostic("WSCS005").WithLocation(5).WithArguments("CloseAsync"));

    [Fact]
    public Task TokensThatCanCancel_OrNoWait_AreNotReported() =>
        AnalyzerAsync(InMethod("""
            await ws.CloseAsync(NetStatus.NormalClosure, "bye", ct);
            await ws.CloseAsync(NetStatus.NormalClosure, "bye", new CancellationTokenSource(5000).Token);
            await ws.CloseAsync(NetStatus.NormalClosure, "bye", new CancellationToken(true));
            await ws.CloseOutputAsync(NetStatus.NormalClosure, "bye", CancellationToken.None);
            await ws.CloseGracefullyAsync(CloseStatus.NormalClosure, "bye", TimeSpan.FromSeconds(5), CancellationToken.None);
            Task pending = ws.CloseAsync(NetStatus.NormalClosure, "bye", CancellationToken.None);
            await pending.WaitAsync(TimeSpan.FromSeconds(5));
            """));
}
