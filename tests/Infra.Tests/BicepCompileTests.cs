using System.Text.Json.Nodes;

namespace FunctionsCrawler.Infra.Tests;

public class BicepCompileTests
{
    [Fact]
    public void Main_bicep_builds_without_warnings_or_errors()
    {
        var build = BicepCli.BuildMain.Value;

        Assert.True(build.ExitCode == 0, $"bicep build exited {build.ExitCode}: {build.StdErr}");
        Assert.DoesNotContain("Warning", build.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Error", build.StdErr, StringComparison.Ordinal);
        var template = JsonNode.Parse(build.StdOut)!.AsObject();
        Assert.Contains("subscriptionDeploymentTemplate", template["$schema"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Main_bicep_and_its_modules_pass_the_linter()
    {
        var lint = BicepCli.LintMain.Value;
        var output = lint.StdOut + lint.StdErr;

        Assert.True(lint.ExitCode == 0, $"bicep lint exited {lint.ExitCode}: {output}");
        Assert.DoesNotContain("Warning", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Error", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Resources_bicep_builds_alone_for_resource_group_deployments()
    {
        var build = BicepCli.BuildResources.Value;

        Assert.True(build.ExitCode == 0, $"bicep build exited {build.ExitCode}: {build.StdErr}");
        Assert.DoesNotContain("Warning", build.StdErr, StringComparison.Ordinal);
        var template = JsonNode.Parse(build.StdOut)!.AsObject();
        Assert.EndsWith("/deploymentTemplate.json#", template["$schema"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Infra_uses_only_local_modules_that_restore_offline()
    {
        var bicepFiles = Directory.GetFiles(RepoRoot.File("infra"), "*.bicep", SearchOption.AllDirectories);

        Assert.NotEmpty(bicepFiles);
        foreach (var file in bicepFiles)
        {
            var text = File.ReadAllText(file);
            Assert.False(text.Contains("'br/", StringComparison.Ordinal) || text.Contains("'br:", StringComparison.Ordinal)
                         || text.Contains("'ts/", StringComparison.Ordinal) || text.Contains("'ts:", StringComparison.Ordinal),
                $"{Path.GetFileName(file)} references a registry module");
        }
    }
}
