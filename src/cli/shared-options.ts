import type { Argv } from 'yargs';

/** `-i/--inventory`: Ansible inventory sources (repeatable), or `box` for the running box's inventory. */
export function withInventoryOption<T>(y: Argv<T>) {
  return y.option('inventory', {
    alias: 'i',
    type: 'string',
    demandOption: 'Name an inventory: -i inventory/seed.ini, or -i box for the local box',
    describe:
      'Ansible inventory: an INI or YAML file, a directory (with group_vars/, host_vars/), or `box` for the running box; repeat -i to merge several, as ansible-inventory does',
    // Repeated -i gives an array; one gives a string. Always a list from here on.
    coerce: (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]),
  });
}

/** The positional scenario plus the options that shape how it resolves. */
export function withScenarioOptions<T>(y: Argv<T>) {
  return withScenarioFlags(y).positional('scenario', {
    type: 'string',
    demandOption: true,
    describe: 'Scenario name (scenarios/NAME.yaml) or path',
  });
}

/** The same, for commands where the scenario may be left out (`lab run --all`). */
export function withOptionalScenarioOptions<T>(y: Argv<T>) {
  return withScenarioFlags(y).positional('scenario', {
    type: 'string',
    describe: 'Scenario name (scenarios/NAME.yaml) or path',
  });
}

function withScenarioFlags<T>(y: Argv<T>) {
  return y
    .option('var', {
      type: 'string',
      array: true,
      describe: 'Override a scenario variable: --var key=value (repeatable)',
    })
    .option('scenarios', {
      type: 'string',
      describe: 'Directory of scenarios (default ./scenarios, else those shipped with lab)',
    });
}

/** How lab connects to hosts over SSH. */
export function withSshOptions<T>(y: Argv<T>) {
  return y
    .option('known-hosts', {
      type: 'string',
      describe:
        'known_hosts file to check host keys against (default ~/.ssh/known_hosts, or lab_known_hosts from the inventory)',
    })
    .option('ssh-config', {
      type: 'string',
      describe:
        'ssh_config file to read as ssh would (default ~/.ssh/config; `none` reads none); the inventory’s settings win',
    })
    .option('accept-new-host-keys', {
      type: 'boolean',
      default: false,
      describe:
        'Accept and record keys of hosts not yet in known_hosts (a changed key is never accepted)',
    })
    .option('concurrency', numberOption(16, 'Hosts worked on at once (1 to 1000)'))
    .option(
      'timeout',
      numberOption(30, 'Seconds any one remote operation may take (0.1 to 86400; 0 is refused)'),
    )
    .option(
      'keepalive-interval',
      numberOption(1, 'Seconds between SSH keepalives (0 to 3600; 0: none)'),
    )
    .option(
      'keepalive-count',
      numberOption(4, 'Unanswered SSH keepalives after which a host counts as lost (1 to 100)'),
    );
}

/** --lock-wait, for the commands that change hosts (run, down). */
export const lockWaitOption = numberOption(
  0,
  'Seconds to wait for another lab holding one of the hosts (0 to 86400; 0: refuse at once, exit 2)',
);

/**
 * A numeric flag. No yargs `type`: yargs would turn "abc" into NaN and the message could only say
 * "got NaN"; parseSeconds and parsePositiveInt check the value as typed.
 */
export function numberOption(defaultValue: number, describe: string) {
  return { default: defaultValue, requiresArg: true, describe } as const;
}

/** What `lab run` and `lab check connectivity` each say of the probing and report options they share. */
export interface ProbeOptionTexts {
  /** The default of --wait, and its help text. */
  wait: { seconds: number; describe: string };
  probeImage: string;
  json: string;
  html: string;
}

/** --wait, --ping-timeout, --probe-image, --json and --html: probing a matrix and reporting it. */
export function withProbeOptions<T>(y: Argv<T>, texts: ProbeOptionTexts) {
  return y
    .option('wait', numberOption(texts.wait.seconds, texts.wait.describe))
    .option('ping-timeout', numberOption(1, 'Whole seconds one ping waits for its reply (1 to 60)'))
    .option('probe-image', { type: 'string', describe: texts.probeImage })
    .option('json', { type: 'boolean', default: false, describe: texts.json })
    .option('html', { type: 'string', describe: texts.html });
}
