/** The simulation routes of the API (server/modules/commissions/simulation.routes.ts). */
export const simulationPaths = {
  simulations: '/api/comp/simulations',
  simulation: (id: string) => `/api/comp/simulations/${encodeURIComponent(id)}`,
};

export const simulationKeys = {
  list: (query?: unknown) => (query === undefined ? (['comp', 'simulations'] as const) : (['comp', 'simulations', query] as const)),
  one: (id: string) => ['comp', 'simulation', id] as const,
};
