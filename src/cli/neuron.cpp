// massnet neuron: trains one neuron on a logic gate or on samples and shows what it learned.
#include <massnet/error.hpp>
#include <massnet/mlp/training_run.hpp>

#include "cli/command.hpp"
#include "cli/options.hpp"

namespace massnet::cli {
namespace {

constexpr const char* usage =
    "Usage: massnet neuron [options]\n\n"
    "Trains one neuron, h = w . x - b, y = f(h), by online gradient descent on\n"
    "e = 1/2 (y - o)^2, one sample per iteration:\n"
    "  delta = (y - o) f'(h),  w <- w - eta delta x,  b <- b + eta delta.\n"
    "Then prints the truth table: input, target o, output y and error 1/2 (y - o)^2.\n"
    "AND and OR are learned; XOR is not linearly separable and never is.\n\n"
    "Example: massnet neuron --task xor --seed 3 --out neuron.h5";

int run_neuron(const Invocation& inv) {
    require_single_rank(inv, "massnet neuron");
    mlp::TrainingSettings settings;
    settings.single_neuron = true;
    settings.layers = {2, 1};
    settings.task = "and";
    po::options_description options("Options");
    options.add_options()("help,h", "this help");
    mlp::add_training_options(options, settings);

    ParsedArgs parsed = parse_arguments(inv.args, options, false);
    if (parsed.options.count("help")) {
        inv.console.line(help_text(usage, options));
        return exit_ok;
    }

    auto result = mlp::run_training(settings, inv.command_line);
    for (const auto& line : mlp::training_report(settings, result))
        inv.console.line(line);
    if (!settings.out.path.empty()) inv.console.line("\nWrote " + settings.out.path);
    return exit_ok;
}

const Registration registration({"neuron", "train one neuron on AND, OR, XOR or samples", 50,
                                 run_neuron});

}  // namespace
}  // namespace massnet::cli
