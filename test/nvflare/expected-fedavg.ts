/**
 * The FedAvg that job/client.py makes happen (the same formula lives there): site-K sends
 * value(K, R, i) = K * (R + 1) + ((i % 13) - 6) * 0.01 * K for every layer in round R, weighted by STEPS[K].
 */
export const STEPS: Readonly<Record<number, number>> = { 1: 1, 2: 3 }

export function siteValue(site: number, round: number, i: number): number {
  return site * (round + 1) + ((i % 13) - 6) * 0.01 * site
}

/** The weighted FedAvg of round `round` for a layer of `n` values. */
export function expectedFedAvg(round: number, n: number): number[] {
  const sites = Object.entries(STEPS).map(([k, steps]) => [Number(k), steps] as const)
  const total = sites.reduce((sum, [, steps]) => sum + steps, 0)
  return Array.from(
    { length: n },
    (_, i) => sites.reduce((sum, [site, steps]) => sum + steps * siteValue(site, round, i), 0) / total,
  )
}
