using System.Text.Json.Nodes;

namespace FunctionsCrawler.Infra.Tests;

/// <summary>`azd up` finds the template, fills its parameters and deploys src/Functions.</summary>
public class AzdTests
{
    [Fact]
    public void Azure_yaml_deploys_src_Functions_as_the_crawler_function_service()
    {
        var yaml = AzureYaml.Read();

        Assert.Equal("functions-crawler", yaml.Values["name"]);
        Assert.Equal(["crawler"], yaml.Services);
        Assert.Equal("./src/Functions", yaml.Values["services.crawler.project"]);
        Assert.Equal("dotnet", yaml.Values["services.crawler.language"]);
        Assert.Equal("function", yaml.Values["services.crawler.host"]);
    }

    [Fact]
    public void Parameters_file_feeds_the_azd_environment_into_main_bicep()
    {
        var file = JsonNode.Parse(File.ReadAllText(RepoRoot.File("infra", "main.parameters.json")))!;
        var parameters = file["parameters"]!.AsObject();

        Assert.Equal("${AZURE_ENV_NAME}", parameters["environmentName"]?["value"]?.GetValue<string>());
        Assert.Equal("${AZURE_LOCATION}", parameters["location"]?["value"]?.GetValue<string>());
        foreach (var (name, _) in parameters)
        {
            Assert.True(Deployed.Template.Root.Parameters.ContainsKey(name), $"main.parameters.json sets {name}, which main.bicep does not declare");
        }
    }

    [Fact]
    public void Location_parameter_is_marked_for_azd_location_prompt()
    {
        var location = Deployed.Template.Root.Parameters["location"]!;

        Assert.Equal("location", location["metadata"]?["azd"]?["type"]?.GetValue<string>());
    }

    [Theory]
    [InlineData("AZURE_FUNCTION_NAME")]
    [InlineData("SERVICE_CRAWLER_NAME")]
    [InlineData("FUNCTION_APP_DEFAULT_HOSTNAME")]
    [InlineData("AZURE_STORAGE_ACCOUNT_NAME")]
    [InlineData("AZURE_RESOURCE_GROUP")]
    [InlineData("AZURE_LOCATION")]
    [InlineData("AZURE_TENANT_ID")]
    public void Deployment_outputs_what_azd_and_the_readme_use(string output)
    {
        Assert.True(Deployed.Template.Root.Outputs.ContainsKey(output), $"main.bicep has no output {output}");
    }

    [Fact]
    public void Function_name_output_is_the_deployed_function_app()
    {
        var output = Deployed.AsText(Deployed.Template.Root.Outputs["AZURE_FUNCTION_NAME"]!["value"]);

        Assert.True(Deployed.NamesResource(output, Deployed.Template.Root, Deployed.FunctionApp), $"AZURE_FUNCTION_NAME must be the function app's name, got {output}");
    }

    [Fact]
    public void Outputs_contain_no_secrets()
    {
        foreach (var (name, output) in Deployed.Template.Root.Outputs)
        {
            Assert.NotEqual("securestring", output?["type"]?.GetValue<string>(), StringComparer.OrdinalIgnoreCase);
            Assert.DoesNotContain("list", Deployed.AsText(output?["value"])?.Split('(')[0] ?? "", StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("key", name, StringComparison.OrdinalIgnoreCase);
        }
    }
}
