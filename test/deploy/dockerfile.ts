import { readFileSync } from 'node:fs';

export interface Instruction {
  keyword: string;
  args: string;
  /** `--name=value` flags (COPY --from=..., ADD --chmod=...). */
  flags: Record<string, string>;
  /** Arguments after the flags, JSON-array form decoded. */
  words: string[];
}

export interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  args: Record<string, string>;
  stages: Stage[];
}

/** A small Dockerfile reader: enough to follow stages and their COPY/RUN/ENV/USER lines (no heredocs). */
export function readDockerfile(file: string): Dockerfile {
  const logical = readFileSync(file, 'utf8')
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logical) {
    const match = /^(\S+)\s*(.*)$/.exec(line);
    if (!match) continue;
    const keyword = match[1]!.toUpperCase();
    const rest = match[2] ?? '';
    const flags: Record<string, string> = {};
    let body = rest;
    for (let flag = /^--([a-z-]+)(?:=(\S+))?\s+/.exec(body); flag; flag = /^--([a-z-]+)(?:=(\S+))?\s+/.exec(body)) {
      flags[flag[1]!] = flag[2] ?? 'true';
      body = body.slice(flag[0].length);
    }
    const words = body.startsWith('[') ? (JSON.parse(body) as string[]) : body.split(/\s+/).filter(Boolean);
    const instruction: Instruction = { keyword, args: rest, flags, words };
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(body);
      stages.push({ name: from?.[2] ?? String(stages.length), from: from?.[1] ?? '', instructions: [] });
    } else if (keyword === 'ARG' && stages.length === 0) {
      const [name, value] = body.split('=');
      if (name) args[name] = value ?? '';
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { args, stages };
}

/** ENV lines of a stage as one map (`ENV A=1 B=2` form). */
export function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const instruction of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    for (const pair of instruction.words) {
      const [name, ...value] = pair.split('=');
      if (name) env[name] = value.join('=');
    }
  }
  return env;
}
