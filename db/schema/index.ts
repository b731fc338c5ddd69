export * from "./enums";
export * from "./accounts";
export * from "./directory";
export * from "./badges";
export * from "./alliance";
export * from "./roster";
export * from "./studio";
export * from "./desk";
